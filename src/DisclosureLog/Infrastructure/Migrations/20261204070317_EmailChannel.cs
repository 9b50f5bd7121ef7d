using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Procexon.DisclosureLog.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class EmailChannel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "channel",
                table: "webhook_deliveries",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "webhook");

            migrationBuilder.AddColumn<byte[]>(
                name: "confirmation_token_hash",
                table: "webhook_deliveries",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "email_address_encrypted",
                table: "recipients",
                type: "bytea",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "channel",
                table: "webhook_deliveries");

            migrationBuilder.DropColumn(
                name: "confirmation_token_hash",
                table: "webhook_deliveries");

            migrationBuilder.DropColumn(
                name: "email_address_encrypted",
                table: "recipients");
        }
    }
}
