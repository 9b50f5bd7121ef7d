using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Procexon.RightsRequests.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class SealedOutboxPayloads : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "payload",
                table: "outbox_messages",
                type: "jsonb",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "jsonb");

            migrationBuilder.AddColumn<byte[]>(
                name: "sealed_payload",
                table: "outbox_messages",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddCheckConstraint(
                name: "ck_outbox_messages_one_payload",
                table: "outbox_messages",
                sql: "(payload IS NULL) <> (sealed_payload IS NULL)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_outbox_messages_one_payload",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "sealed_payload",
                table: "outbox_messages");

            migrationBuilder.AlterColumn<string>(
                name: "payload",
                table: "outbox_messages",
                type: "jsonb",
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "jsonb",
                oldNullable: true);
        }
    }
}
