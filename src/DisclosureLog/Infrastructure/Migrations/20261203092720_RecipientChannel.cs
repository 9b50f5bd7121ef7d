using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Procexon.DisclosureLog.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class RecipientChannel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "channel",
                table: "recipients",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "staff");

            // The seeder adds only missing slugs, so the rows already there get their channel here.
            migrationBuilder.Sql("UPDATE recipients SET channel = 'amqp' WHERE slug = 'accounting-firm';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "channel",
                table: "recipients");
        }
    }
}
